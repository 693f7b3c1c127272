"""Publishing a release: version, diff, files, integrity, and the atomic move into releases/.

Belongs here: comparing the new tables with the latest release, choosing the semantic version
(schema removed or retyped -> major; tables, columns or rows added or removed -> minor; values
changed -> patch; nothing changed -> no release), writing the data package (CSV, datapackage.json,
DuckDB, CHANGES.md, changes.json, coverage, SHA256SUMS, zip) into a staging folder, verifying it,
then renaming it into place and replacing releases/index.json atomically.
A released version is never overwritten. A staging folder or a version folder missing from the
index (left by a crash) is removed at the start of the next publish, so releases/ is always
either as it was or fully published.
Does not belong here: extraction, validation rules, DuckDB DDL (``pipelines.warehouse``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from pipelines.tables import read_csv_table, to_csv_bytes
from schemas.frictionless_schema import table_schema
from schemas.tables import TABLES

log = logging.getLogger(__name__)

PACKAGE_NAME = "japan-asean-cooperation"
FIRST_VERSION = "1.0.0"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
STAGING_PREFIX = ".staging-"
# Test hook: a callable run between files while staging, to inject a crash.
FaultHook = Callable[[str], None]


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
        if self.tables_added or any(self.columns_added.values()) or any(
                d.added or d.removed for d in self.rows.values()):
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
            "tables": {name: {"rows_added": d.added, "rows_removed": d.removed, "values_changed": d.changed}
                       for name, d in sorted(self.rows.items())},
        }


@dataclass
class PublishOutcome:
    version: str | None
    published: bool
    message: str
    path: Path | None = None
    diff: ReleaseDiff | None = None


# --- Index ----------------------------------------------------------------------------------------

def read_index(releases_dir: Path) -> dict:
    path = Path(releases_dir) / "index.json"
    if not path.exists():
        return {"latest": None, "versions": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def bump(version: str | None, level: str) -> str:
    if version is None:
        return FIRST_VERSION
    major, minor, patch = (int(x) for x in version.split("."))
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0", "patch": f"{major}.{minor}.{patch + 1}"}[level]


def recover(releases_dir: Path) -> list[str]:
    """Remove what a crashed publish left behind: staging folders and version folders not in the index."""
    releases_dir = Path(releases_dir)
    if not releases_dir.exists():
        return []
    listed = {v["version"] for v in read_index(releases_dir)["versions"]}
    removed = []
    for p in releases_dir.iterdir():
        if p.is_dir() and (p.name.startswith(STAGING_PREFIX) or (p.name[0].isdigit() and p.name not in listed)):
            shutil.rmtree(p)
            removed.append(p.name)
            log.warning("removed %s left by an interrupted publish", p.name)
    return removed


# --- Diff -----------------------------------------------------------------------------------------

def _load_previous(releases_dir: Path, version: str) -> tuple[dict, dict[str, pd.DataFrame]]:
    folder = Path(releases_dir) / version
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    frames = {}
    for res in package["resources"]:
        if res["name"] in TABLES:
            frames[res["name"]] = read_csv_table(res["name"], (folder / res["path"]).read_bytes())
    return package, frames


def _key(row: pd.Series, pk: list[str]) -> str:
    return "|".join(str(row[k]) for k in pk)


def _same(a, b) -> bool:
    if (a is None or (not isinstance(a, str) and pd.isna(a))) and (b is None or (not isinstance(b, str) and pd.isna(b))):
        return True
    return a == b


def diff_tables(old_package: dict | None, old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> ReleaseDiff:
    d = ReleaseDiff()
    old_fields = {}
    if old_package:
        for res in old_package["resources"]:
            old_fields[res["name"]] = {f["name"]: f["type"] for f in res["schema"]["fields"]}
    new_fields = {name: {f["name"]: f["type"] for f in table_schema(TABLES[name])["fields"]} for name in new}
    d.tables_added = sorted(set(new) - set(old_fields)) if old_package else sorted(new)
    d.tables_removed = sorted(set(old_fields) - set(new))
    for name in sorted(set(new) & set(old_fields)):
        of, nf = old_fields[name], new_fields[name]
        if added := sorted(set(nf) - set(of)):
            d.columns_added[name] = added
        if removed := sorted(set(of) - set(nf)):
            d.columns_removed[name] = removed
        if retyped := sorted(c for c in set(nf) & set(of) if nf[c] != of[c]):
            d.columns_retyped[name] = retyped
    for name, df in sorted(new.items()):
        pk = list(TABLES[name].primary_key)
        new_rows = {_key(r, pk): r for _, r in df.iterrows()}
        old_df = old.get(name)
        old_rows = {_key(r, pk): r for _, r in old_df.iterrows()} if old_df is not None else {}
        td = TableDiff(added=sorted(set(new_rows) - set(old_rows)), removed=sorted(set(old_rows) - set(new_rows)))
        common_cols = [c for c in df.columns if old_df is not None and c in old_df.columns]
        for k in sorted(set(new_rows) & set(old_rows)):
            for c in common_cols:
                a, b = old_rows[k][c], new_rows[k][c]
                if not _same(a, b):
                    td.changed.append({"key": k, "column": c, "old": _jsonable(a), "new": _jsonable(b)})
        d.rows[name] = td
    return d


def _jsonable(v):
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def changes_markdown(version: str, previous: str | None, diff: ReleaseDiff, counts: dict[str, int]) -> str:
    lines = [f"# Changes in {PACKAGE_NAME} {version}", ""]
    if previous is None:
        lines += [f"First release: {sum(counts.values())} rows in {len(counts)} tables.", ""]
        lines += ["| table | rows |", "|---|---|"] + [f"| `{t}` | {n} |" for t, n in sorted(counts.items())]
        return "\n".join(lines) + "\n"
    lines += [f"Compared with {previous}: a **{diff.level}** change.", ""]
    for label, value in (("Tables added", diff.tables_added), ("Tables removed", diff.tables_removed)):
        if value:
            lines.append(f"- {label}: " + ", ".join(f"`{t}`" for t in value))
    for label, mapping in (("Columns added", diff.columns_added), ("Columns removed", diff.columns_removed),
                           ("Columns retyped", diff.columns_retyped)):
        for t, cols in mapping.items():
            lines.append(f"- {label} in `{t}`: " + ", ".join(f"`{c}`" for c in cols))
    lines += ["", "| table | rows | added | removed | values changed |", "|---|---|---|---|---|"]
    for t, td in sorted(diff.rows.items()):
        lines.append(f"| `{t}` | {counts.get(t, 0)} | {len(td.added)} | {len(td.removed)} | {len(td.changed)} |")
    for t, td in sorted(diff.rows.items()):
        if td.is_empty:
            continue
        lines += ["", f"## `{t}`", ""]
        for label, keys in (("Added", td.added), ("Removed", td.removed)):
            if keys:
                lines.append(f"{label} ({len(keys)}): " + ", ".join(f"`{k}`" for k in keys[:20])
                             + (" ..." if len(keys) > 20 else ""))
                lines.append("")
        if td.changed:
            lines += ["| key | column | old | new |", "|---|---|---|---|"]
            for ch in td.changed[:50]:
                lines.append(f"| `{ch['key']}` | `{ch['column']}` | {_md(ch['old'])} | {_md(ch['new'])} |")
            if len(td.changed) > 50:
                lines.append(f"| ... | {len(td.changed) - 50} more | | |")
    return "\n".join(lines) + "\n"


def _md(v) -> str:
    return "" if v is None else str(v).replace("|", "\\|").replace("\n", " ")[:120]


# --- Package --------------------------------------------------------------------------------------

def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def datapackage_descriptor(version: str, created: str, csvs: dict[str, bytes], documents: pd.DataFrame) -> dict:
    resources = []
    for name, table in TABLES.items():
        resources.append({
            "name": name,
            "title": table.title,
            "description": table.description,
            "$schema": "https://datapackage.org/profiles/2.0/dataresource.json",
            "type": "table",
            "path": f"data/{name}.csv",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": len(csvs[name]),
            "hash": "sha256:" + sha256_bytes(csvs[name]),
            "schema": table_schema(table),
        })
    sources = [{"title": r.title if isinstance(r.title, str) else r.file_name, "path": f"raw/{r.file_name}",
                "description": f"{r.file_name}; publisher: {r.publisher or 'not stated'}; "
                               f"date: {r.published or 'not stated'}; sha256: {r.sha256}"}
               for r in documents.itertuples()]
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
    tables: dict[str, pd.DataFrame],
    releases_dir: Path,
    build_duckdb: Callable[[Path, dict[str, pd.DataFrame]], None],
    extra_files: dict[str, bytes] | None = None,
    created: str | None = None,
    verify: Callable[[Path], list[str]] | None = None,
    fault: FaultHook | None = None,
) -> PublishOutcome:
    """Publish the tables as the next version, or nothing when they equal the latest release."""
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    recover(releases_dir)
    index = read_index(releases_dir)
    previous = index["latest"]
    old_package, old_frames = _load_previous(releases_dir, previous) if previous else (None, {})
    csvs = {name: to_csv_bytes(name, tables[name]) for name in TABLES}
    if previous:
        old_csvs = {n: (releases_dir / previous / "data" / f"{n}.csv").read_bytes()
                    for n in old_frames if (releases_dir / previous / "data" / f"{n}.csv").exists()}
        if old_csvs == csvs:
            return PublishOutcome(previous, False, f"no change since {previous}: nothing published",
                                  releases_dir / previous)
    # Compare the data as published (read back from CSV) so both sides have the same types.
    new_frames = {n: read_csv_table(n, b) for n, b in csvs.items()}
    diff = diff_tables(old_package, old_frames, new_frames)
    level = diff.level if previous else "major"
    if level is None:
        return PublishOutcome(previous, False, f"no change since {previous}: nothing published",
                              releases_dir / previous)
    version = bump(previous, level)
    final = releases_dir / version
    if final.exists():
        raise ReleaseError(f"release {version} already exists in {releases_dir}; a released version is never "
                           "overwritten")
    created = created or os.environ.get("RELEASE_CREATED") or dt.datetime.now(dt.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    staging = releases_dir / f"{STAGING_PREFIX}{version}-{os.getpid()}"
    hook = fault or _fault_from_environment
    try:
        (staging / "data").mkdir(parents=True)
        for name, data in csvs.items():
            (staging / "data" / f"{name}.csv").write_bytes(data)
            hook(f"data/{name}.csv")
        package = datapackage_descriptor(version, created, csvs, tables["documents"])
        (staging / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
        hook("datapackage.json")
        build_duckdb(staging / f"{PACKAGE_NAME}.duckdb", tables)
        hook("duckdb")
        counts = {n: len(df) for n, df in tables.items()}
        (staging / "CHANGES.md").write_text(changes_markdown(version, previous, diff, counts), encoding="utf-8")
        (staging / "changes.json").write_text(
            json.dumps({"version": version, "previous": previous, **diff.to_json()}, ensure_ascii=False,
                       indent=2, default=str) + "\n", encoding="utf-8")
        for rel, data in (extra_files or {}).items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
        hook("extra")
        _write_checksums(staging)
        _write_zip(staging, version)
        hook("zip")
        problems = verify(staging) if verify else []
        if problems:
            raise ReleaseError("the staged release does not verify:\n  " + "\n  ".join(problems))
        if final.exists():
            raise ReleaseError(f"release {version} appeared while publishing; refusing to overwrite it")
        os.rename(staging, final)
        hook("renamed")
        entry = {"version": version, "created": created, "tables": counts,
                 "sha256": sha256_bytes((final / "datapackage.json").read_bytes())}
        index = {"name": PACKAGE_NAME, "latest": version, "versions": [entry] + index["versions"]}
        _write_json_atomic(releases_dir / "index.json", index)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if final.exists() and read_index(releases_dir)["latest"] != version:
            shutil.rmtree(final, ignore_errors=True)
        raise
    return PublishOutcome(version, True, f"published {version} ({level} change since {previous or 'nothing'})",
                          final, diff)


def _fault_from_environment(step: str) -> None:
    """Crash injection for tests: JAC_RELEASE_CRASH_AFTER=<step> kills the process after that step."""
    if os.environ.get("JAC_RELEASE_CRASH_AFTER") == step:
        os._exit(86)


def _write_checksums(folder: Path) -> None:
    lines = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "SHA256SUMS" and not p.name.endswith(".zip"):
            lines.append(f"{sha256_bytes(p.read_bytes())}  {p.relative_to(folder).as_posix()}")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_zip(folder: Path, version: str) -> None:
    """One-click download of the whole version; fixed timestamps keep it reproducible."""
    target = folder / f"{PACKAGE_NAME}-{version}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and p != target:
                info = zipfile.ZipInfo(f"{PACKAGE_NAME}-{version}/{p.relative_to(folder).as_posix()}",
                                       date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, p.read_bytes())


# --- The gate: validate, then publish -------------------------------------------------------------

class ValidationError(ReleaseError):
    """A table failed its checks: nothing was published. The message names table, rows, documents."""


def validate_all(tables: dict[str, pd.DataFrame], texts: dict[str, str]) -> list[str]:
    from schemas.validation import validate_provenance, validate_table

    problems = []
    for name in TABLES:
        for failure in (validate_table(name, tables[name]), validate_provenance(name, tables[name], texts)):
            if failure:
                problems.append(str(failure))
    return problems


def verify_release(folder: Path) -> list[str]:
    """Check a staged release as a user would: frictionless, checksums, DuckDB row counts."""
    import duckdb
    from frictionless import Package

    problems = []
    report = Package(str(folder / "datapackage.json")).validate()
    if not report.valid:
        for task in report.tasks:
            for err in task.errors[:10]:
                problems.append(f"frictionless: {task.name}: {err.message}")
        for err in report.errors[:10]:
            problems.append(f"frictionless: {err.message}")
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        if sha256_bytes((folder / rel).read_bytes()) != digest:
            problems.append(f"checksum mismatch: {rel}")
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    with duckdb.connect(str(folder / f"{PACKAGE_NAME}.duckdb"), read_only=True) as con:
        for res in package["resources"]:
            n_csv = len(read_csv_table(res["name"], (folder / res["path"]).read_bytes()))
            n_db = con.execute(f'SELECT count(*) FROM "{res["name"]}"').fetchone()[0]
            if n_csv != n_db:
                problems.append(f"{res['name']}: {n_csv} rows in CSV but {n_db} in DuckDB")
    return problems


def publish_tables(tables: dict[str, pd.DataFrame], texts: dict[str, str], coverage: dict, releases_dir: Path,
                   fault: FaultHook | None = None) -> PublishOutcome:
    """Validate every table (again) and publish; raises ValidationError and publishes nothing on failure."""
    from pipelines.warehouse import build_release_database

    problems = validate_all(tables, texts)
    if problems:
        raise ValidationError("nothing was published:\n" + "\n".join(problems))
    extra = {
        "coverage.json": (json.dumps(coverage["documents"], ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        "COVERAGE.md": coverage["markdown"].encode("utf-8"),
    }
    return publish(tables, releases_dir, build_release_database, extra_files=extra, verify=verify_release,
                   fault=fault)
