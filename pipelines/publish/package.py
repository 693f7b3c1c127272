"""The data package: its descriptor, checksums and zip, the checks before it is written and after.

Belongs here: datapackage.json (name, license, each CSV's size, hash and Table Schema, each table's
Parquet file beside its CSV, the sources), the shipped texts (sources/<document_id>.txt) and verify.py,
SHA256SUMS, the reproducible zip, the SHA-256 helpers, the gate every table passes before anything is
written (``validate_all``, against the texts of the documents as the tables were built from them),
the check of a staged release as a user would make it (``verify_release``), and the check of what is
already published before anything is compared with it (``verify_published``).
Does not belong here: validation rules (``schemas.validation``), checking a CSV against its descriptor
(``pipelines.publish.verification``), DuckDB DDL (``pipelines.publish.warehouse``), the diff and the
version (``pipelines.publish.versions``), releases/ and its index (``pipelines.publish.store``), the
steps of a publish in order (``pipelines.publish.release``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from pipelines.documents import read_document
from pipelines.publish import shipped_verify
from pipelines.publish.citation import (
    ABSTRACT,
    DATASET_TITLE,
    HOMEPAGE,
    KEYWORDS,
    PACKAGE_NAME,
    citation_text,
    contributors,
    version_id,
)
from pipelines.publish.quotes import validate_values_in_quotes
from pipelines.publish.store import BrokenStateError, ReleaseError, read_index, restore_hint
from pipelines.publish.tables import read_csv_table, read_parquet_table
from pipelines.publish.verification import verify_package
from schemas.arrow_schema import arrow_schema
from schemas.frictionless_schema import table_schema
from schemas.tables import TABLES
from schemas.validation import validate_cross_table, validate_provenance, validate_table

SOURCES_DIR = "sources"
VERIFY_SCRIPT = "verify.py"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


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
                "description": " ".join(filter(None, (table.description, table.usage_text))),
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
    resources += [parquet_resource(csv_resource) for csv_resource in list(resources)]
    sources = [
        {
            "title": r.title if isinstance(r.title, str) else r.file_name,
            # The text the offsets count in, shipped in the package (the URL, when known, is in the description).
            "path": source_text_path(r.document_id),
            "description": f"{r.file_name}; publisher: {r.publisher or 'not stated'}; "
            f"date: {r.published or 'not stated'}; url: {_or(r.url, 'no URL known')}; "
            f"accessed: {_or(r.accessed, 'not recorded')}; licence: {_or(r.licence, 'not known')}; "
            f"sha256 of the raw file: {r.sha256}",
        }
        for r in documents.itertuples()
    ]
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": PACKAGE_NAME,
        # The version's stable identifier (no DOI exists: see pipelines.publish.citation).
        "id": version_id(version),
        "title": DATASET_TITLE,
        "description": ABSTRACT,
        "homepage": HOMEPAGE,
        "version": version,
        "created": created,
        "contributors": contributors(),
        "citation": citation_text(version, created),
        "licenses": [LICENSE],
        "sources": sources,
        "keywords": list(KEYWORDS),
        "resources": resources,
    }


def _or(value, missing: str) -> str:
    return value if isinstance(value, str) and value else missing


def source_text_path(document_id: str) -> str:
    """Where a document's decoded text is in a version folder (and the zip)."""
    return f"{SOURCES_DIR}/{document_id}.txt"


def source_files(documents: pd.DataFrame, texts: Mapping[str, str]) -> dict[str, bytes]:
    """sources/<document_id>.txt of every document: exactly the decoded text the offsets count in, as
    UTF-8 (no BOM, line ends as they are), so the same text gives the same bytes. A document without
    its text (missing from raw/, or changed since the table was built) stops the publish."""
    files, missing = {}, []
    for document_id, n_chars in zip(documents["document_id"], documents["n_chars"]):
        text = texts.get(document_id)
        if text is None or len(text) != n_chars:
            missing.append(document_id)
        else:
            files[source_text_path(document_id)] = text.encode("utf-8")
    if missing:
        raise ReleaseError(
            f"no text to ship for {', '.join(missing)}: the document left raw/ or changed since its table was "
            "built; run the pipeline again"
        )
    return files


def verify_script() -> bytes:
    """verify.py of every version: the standard-library checker a user runs on a download."""
    return Path(shipped_verify.__file__).read_bytes()


PARQUET_MEDIATYPE = "application/vnd.apache.parquet"


def parquet_resource(csv_resource: dict) -> dict:
    """The resource of a table's Parquet file, beside its CSV's: the same Table Schema, read by
    frictionless's parquet plugin (pyarrow, then pandas). Two differences, both for that reader:
    a null number reaches it as the float NaN, which it tests as the text "nan", so "nan" is a
    missing value (a text cell "nan" would then read as missing: ``parquet_problems`` refuses one);
    and no ``bytes``/``hash``, which frictionless can only count on files it reads
    through its own loader (it reports them as wrong for a Parquet file): the file's SHA-256 is in
    SHA256SUMS."""
    name = csv_resource["name"]
    schema = {**csv_resource["schema"], "missingValues": ["", "nan"]}
    return {
        "name": f"{name}-parquet",
        "title": f"{csv_resource['title']} (Parquet)",
        "description": f"The rows of data/{name}.csv, typed, with every column's description in the file's "
        "metadata. " + csv_resource["description"],
        "$schema": csv_resource["$schema"],
        "type": "table",
        "path": f"data/{name}.parquet",
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "schema": schema,
    }


def write_checksums(folder: Path, known: dict[str, str]) -> None:
    """SHA256SUMS of every file but itself and the zip; `known`: digests already computed, by path."""
    lines = []
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != "SHA256SUMS" and not p.name.endswith(".zip"):
            rel = p.relative_to(folder).as_posix()
            lines.append(f"{known.get(rel) or file_sha256(p)}  {rel}")
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_zip(folder: Path, version: str) -> None:
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


# --- The gate before writing, the check after -----------------------------------------------------


class ValidationError(ReleaseError):
    """A table failed its checks: nothing was published. The message names table, rows, documents."""


def validate_all(tables: Mapping[str, pd.DataFrame], texts: dict[str, str]) -> list[str]:
    problems = []
    for name in TABLES:
        df = tables[name]
        for failure in (
            validate_table(name, df),
            validate_provenance(name, df, texts),
            validate_values_in_quotes(name, df),
        ):
            if failure:
                problems.append(str(failure))
        del df
    if not problems and (failure := validate_cross_table(tables)):
        problems.append(str(failure))
    return problems


def document_texts(raw_dir: Path, documents: pd.DataFrame) -> dict[str, str]:
    """document_id -> text of each document in raw/ whose bytes are still those the table was built
    from (its sha256): what the release ships in sources/ and validates against. A document missing or
    changed since has no text, so its facts fail the provenance check and it cannot be shipped: facts
    are never published unchecked against the text they point into."""
    texts = {}
    for row in documents.itertuples():
        path = Path(raw_dir) / row.file_name
        if path.is_file():
            doc = read_document(path)
            if doc.sha256 == row.sha256:
                texts[row.document_id] = doc.text
    return texts


def parquet_problems(folder: Path, resource: dict, found: list[str]) -> list[str]:
    """What is wrong with a table's Parquet file: missing, unreadable, another schema (types, column
    descriptions, metadata) than ``schemas.arrow_schema`` derives, or other rows or values than its
    CSV's. `found`: the problems found so far; a CSV that has some is not compared with (its own
    problems say what is wrong with it)."""
    path, name = folder / resource["path"], resource["name"].removesuffix("-parquet")
    csv_path = f"data/{name}.csv"
    if not path.is_file():
        return [f"{resource['path']}: file missing"]
    try:
        schema = pq.read_schema(path)
        df = read_parquet_table(path)
    except (OSError, ValueError) as err:  # pyarrow's errors derive from these
        return [f"{resource['path']}: not a readable Parquet file: {err}"]
    if not schema.equals(arrow_schema(TABLES[name]), check_metadata=True):
        return [f"{resource['path']}: its schema or metadata is not the one schemas/tables.py defines"]
    if any(p.startswith(f"{csv_path}: ") for p in found):
        return []
    texts = [f.name for f in TABLES[name].fields if f.type in ("string", "date")]
    if nan := [c for c in texts if (df[c] == "nan").any()]:
        return [f"{resource['path']}: the text 'nan' in {', '.join(nan)}, which frictionless would read as missing"]
    if not df.equals(read_csv_table(name, (folder / csv_path).read_bytes())):
        return [f"{resource['path']}: its {len(df)} rows are not those of {csv_path}"]
    return []


def verify_release(folder: Path) -> list[str]:
    """Check a staged release as a user would: every CSV against its descriptor (size, hash, Table
    Schema, keys: ``pipelines.publish.verification``), every Parquet file against its CSV, the
    checksums, and the DuckDB file's row counts. (The quotes were checked against the very texts
    shipped in sources/ before anything was written.)"""
    problems, csv_rows = verify_package(folder)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        if res.get("format") == "parquet":
            problems += parquet_problems(folder, res, problems)
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, rel = line.split("  ", 1)
        if not (folder / rel).is_file():
            problems.append(f"checksum of a missing file: {rel}")
        elif file_sha256(folder / rel) != digest:  # streamed, not read whole
            problems.append(f"checksum mismatch: {rel}")
    with duckdb.connect(str(folder / f"{PACKAGE_NAME}.duckdb"), read_only=True) as con:
        for name in TABLES:
            counted = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
            assert counted is not None  # count(*) returns one row
            n_db = counted[0]
            if csv_rows.get(name) != n_db:
                problems.append(f"{name}: {csv_rows.get(name)} rows in CSV but {n_db} in DuckDB")
    return problems


# --- The published versions, before anything is compared with them -------------------------------


def verify_published(releases_dir: Path) -> None:
    """Check what is published before a run compares anything with it: each listed version's
    datapackage.json against its SHA-256 in index.json, and the latest version's files (the ones
    the next version is diffed against) against its SHA256SUMS and its descriptor's hashes, and its
    zip's members against the files (by CRC). Only the latest version's files are read: the cost of
    a run does not grow with the number of versions. Raises BrokenStateError naming the first file
    that differs and how to restore it."""
    releases_dir = Path(releases_dir)
    index = read_index(releases_dir)
    problems: list[tuple[Path, str]] = []
    for entry in index["versions"]:
        descriptor = releases_dir / entry["version"] / "datapackage.json"
        if "sha256" not in entry:
            continue  # an index written before it recorded the hashes
        if not descriptor.is_file():
            problems.append((descriptor, "is missing"))
        elif file_sha256(descriptor) != entry["sha256"]:
            problems.append((descriptor, f"does not match its SHA-256 in {releases_dir.name}/index.json"))
    if index["latest"]:
        problems += _latest_problems(releases_dir / index["latest"], index["latest"])
    if problems:
        path, what = problems[0]
        more = (
            f" (and {len(problems) - 1} more published file{'s' if len(problems) > 2 else ''})" if problems[1:] else ""
        )
        raise BrokenStateError(
            f"published file {path} {what}{more}: it was changed after publishing; {restore_hint(path)} "
            f"and run again (nothing was compared with it or published)"
        )


def _latest_problems(folder: Path, version: str) -> list[tuple[Path, str]]:
    sums = folder / "SHA256SUMS"
    if not sums.is_file():
        return [(sums, "is missing")]
    listed = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        listed[rel] = digest
    try:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        described = {
            res["path"]: res["hash"].removeprefix("sha256:") for res in descriptor["resources"] if "hash" in res
        }
    except (OSError, ValueError, KeyError, TypeError):
        described = {}  # reported below: datapackage.json is listed in SHA256SUMS
    problems = []
    crcs = {}
    for rel, digest in listed.items():
        path = folder / rel
        if not path.is_file():
            problems.append((path, "is missing"))
            continue
        actual, crcs[rel] = _sha256_and_crc32(path)
        if actual != digest:
            problems.append((path, f"does not match its checksum in {sums.relative_to(folder.parent.parent)}"))
        elif rel in described and described[rel] != actual:
            problems.append((path, "does not match its hash in datapackage.json"))
    zipped = folder / f"{PACKAGE_NAME}-{version}.zip"
    crcs["SHA256SUMS"] = _sha256_and_crc32(sums)[1]
    try:
        with zipfile.ZipFile(zipped) as zf:
            members = {info.filename.split("/", 1)[-1]: info.CRC for info in zf.infolist()}
    except (OSError, zipfile.BadZipFile):
        members = None
    # Checked against the files once they are known to be as published (a changed file is named itself).
    if not problems and (members is None or any(members.get(rel) != crc for rel, crc in crcs.items())):
        problems.append((zipped, "does not hold the version's files as published"))
    return problems


def _sha256_and_crc32(path: Path) -> tuple[str, int]:
    """Both digests of a file in one pass over its bytes."""
    sha, crc = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            sha.update(block)
            crc = zlib.crc32(block, crc)
    return sha.hexdigest(), crc
