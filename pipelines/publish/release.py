"""Publishing a release: the steps, in order, from the tables to a new version in releases/.

Belongs here: validating the tables (again, unless the run saw every check pass), writing the data
package (CSV, Parquet, datapackage.json, CITATION.cff, DuckDB, CHANGES.md, changes.json, coverage,
twins, the documents' texts in sources/, verify.py, SHA256SUMS, zip) into a staging folder, verifying it, then renaming it into place and replacing releases/index.json
atomically, under the publisher's lock and after removing what an interrupted publish left. A
released version is never overwritten. The catalogue page is rendered afterwards, from what releases/
holds, by the layer above (``pipelines.catalogue``).
Crash injection for tests: JAC_RELEASE_CRASH_AFTER=<step> ends the process after that step; steps are
"data/<table>.csv", "data/parquet", "datapackage.json", "duckdb", "extra", "zip", "renamed", "index.json".
Does not belong here: extraction, validation rules, the diff and the version
(``pipelines.publish.versions``), the package's files and checks (``pipelines.publish.package``),
releases/ and its index, the lock and recovery (``pipelines.publish.store``), DuckDB DDL
(``pipelines.publish.warehouse``), the page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.publish.changes import changes_markdown
from pipelines.publish.citation import CITATION_FILE, citation_cff
from pipelines.publish.diff import ReleaseDiff
from pipelines.publish.package import (
    PACKAGE_NAME,
    VERIFY_SCRIPT,
    ValidationError,
    datapackage_descriptor,
    file_sha256,
    sha256_bytes,
    source_files,
    validate_all,
    verify_published,
    verify_release,
    verify_script,
    write_checksums,
    write_zip,
)
from pipelines.publish.store import (
    JOURNAL_NAME,
    BrokenStateError,
    ReleaseError,
    is_no_space,
    no_space_message,
    publish_lock,
    read_index,
    recover,
    staging_root,
    write_json_atomic,
)
from pipelines.publish.tables import write_csv, write_parquet
from pipelines.publish.twins import assemble_twin_report, twin_markdown, twin_pairs, twin_report_part
from pipelines.publish.versions import bump, diff_release
from pipelines.publish.warehouse import build_database
from schemas.tables import FACT_TABLES, TABLES

# Test hook: a callable run between files while staging, to inject a crash.
FaultHook = Callable[[str], None]
# document_id -> decoded text of every document, or a callable giving them (called only to publish).
Texts = Mapping[str, str] | Callable[[], Mapping[str, str]]


FACT_TABLE_NAMES = {t.name for t in FACT_TABLES}


@dataclass
class PublishOutcome:
    version: str | None
    published: bool
    message: str
    path: Path | None = None
    diff: ReleaseDiff | None = None
    rows: dict[str, int] = field(default_factory=dict)  # rows of each table offered for publishing


def _fault_from_environment(step: str) -> None:
    """Crash injection for tests: JAC_RELEASE_CRASH_AFTER=<step> kills the process after that step."""
    if os.environ.get("JAC_RELEASE_CRASH_AFTER") == step:
        os._exit(86)


def publish(
    tables: Mapping[str, pd.DataFrame],
    releases_dir: Path,
    build_duckdb: Callable[[Path, Mapping[str, pd.DataFrame]], object],
    texts: Texts,
    extra_files: dict[str, bytes] | Callable[[], dict[str, bytes]] | None = None,
    created: str | None = None,
    verify: Callable[[Path], list[str]] | None = None,
    fault: FaultHook | None = None,
    on_table: Callable[[str, pd.DataFrame], None] | None = None,
) -> PublishOutcome:
    """Publish the tables as the next version, or nothing when they equal the latest release.

    Each table is taken from `tables` once, written, handed to on_table and let go: `tables` may
    load each table when asked for it (a step then holds one table at a time), and on_table derives
    what the extra files need (extra_files may be a callable, called once every table was seen).
    `texts`: the decoded text of every document, shipped as sources/<document_id>.txt with verify.py."""
    releases_dir = Path(releases_dir)
    releases_dir.mkdir(parents=True, exist_ok=True)
    with publish_lock(releases_dir):
        recover(releases_dir)
        return _publish_locked(
            tables,
            releases_dir,
            build_duckdb,
            texts,
            extra_files,
            created,
            verify,
            fault or _fault_from_environment,
            on_table,
        )


def _publish_locked(
    tables, releases_dir: Path, build_duckdb, texts: Texts, extra_files, created, verify, hook: FaultHook, on_table
) -> PublishOutcome:
    index = read_index(releases_dir)
    # Nothing is diffed against a published file that was changed after publishing (checked under the lock).
    verify_published(releases_dir)
    previous = index["latest"]
    old_folder = releases_dir / previous if previous else None
    old_package = json.loads((old_folder / "datapackage.json").read_text(encoding="utf-8")) if old_folder else None
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
        diff, sections = diff_release(old_package, old_folder, staging / "data", digests)
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
        # Made from the CSVs once a version is due (a run that publishes nothing makes none).
        for name in TABLES:
            write_parquet(name, staging / "data" / f"{name}.csv", staging / "data" / f"{name}.parquet")
        hook("data/parquet")
        package = datapackage_descriptor(version, created, staging / "data", tables["documents"], digests)
        (staging / "datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        hook("datapackage.json")
        (staging / CITATION_FILE).write_text(citation_cff(version, created), encoding="utf-8")
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
        shipped = {
            **source_files(tables["documents"], texts() if callable(texts) else texts),
            VERIFY_SCRIPT: verify_script(),
            **((extra_files() if callable(extra_files) else extra_files) or {}),
        }
        for rel, data in shipped.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_bytes(data)
        hook("extra")
        write_checksums(staging, {f"data/{name}.csv": digest for name, digest in digests.items()})
        # Verification reads no part of the zip: it runs while the zip is compressed (zlib lets go of
        # the interpreter lock), and the pool waits for the zip before anything else happens.
        with ThreadPoolExecutor(max_workers=1) as pool:
            zipped = pool.submit(write_zip, staging, version)
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
    except BaseException as err:
        shutil.rmtree(staging, ignore_errors=True)
        if renamed and version not in {v["version"] for v in read_index(releases_dir)["versions"]}:
            shutil.rmtree(final, ignore_errors=True)
        journal.unlink(missing_ok=True)
        if is_no_space(err):
            where = getattr(err, "filename", None) or staging
            raise BrokenStateError(no_space_message(where, releases_dir)) from err
        raise
    return PublishOutcome(
        version, True, f"published {version} ({level} change since {previous or 'nothing'})", final, diff, counts
    )


def publish_tables(
    tables: Mapping[str, pd.DataFrame],
    texts: Callable[[], Mapping[str, str]],
    coverage: dict,
    releases_dir: Path,
    fault: FaultHook | None = None,
    already_validated: bool = False,
    database: Path | None = None,
    reports: Callable[[], Mapping[str, bytes]] | None = None,
) -> PublishOutcome:
    """Validate every table (again, unless the caller saw every check pass on these very tables) and
    publish; raises ValidationError and publishes nothing on failure. `texts` gives the documents'
    texts (called to validate, and to ship them when a version is published). `tables` may load each table
    when asked (it is taken once to publish). `database`: a DuckDB file the caller built from these
    very tables (the run's warehouse), shipped as a copy instead of building the same file twice.
    `reports`: makes more files for the version folder, by name (the extractors' QUALITY.md,
    quality.json); called only when a version is published."""
    problems = [] if already_validated else validate_all(tables, dict(texts()))
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
            **(reports() if reports else {}),
        }

    build = (lambda target, _tables: shutil.copyfile(database, target)) if database else build_database
    return publish(
        tables, releases_dir, build, texts, extra_files=extra, verify=verify_release, fault=fault, on_table=twin_part
    )
