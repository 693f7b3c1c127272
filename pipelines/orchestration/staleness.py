"""What work raw/ asks for: checking raw/, the document partitions, and which documents are stale.

Belongs here: checking raw/ before anything runs (unreadable, duplicate or clashing documents stop
the run, all of them named in one message; then raw/sources.csv), syncing the document partitions with raw/, finding the
partitions whose document or extraction code changed (the rule ``make release`` and the sensor share),
and ``PipelineError``, the one error a run reports.
Does not belong here: running jobs (``pipelines.orchestration.runner``), how a single file is decoded
(``pipelines.documents``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import dagster as dg

from pipelines.documents import DocumentError, list_document_paths, read_document, shown, text_digest
from pipelines.orchestration.execution import latest_materializations
from pipelines.raw_sources import SourcesError, read_sources, sources_path

PARTITIONS = "documents"


class PipelineError(RuntimeError):
    """The run stopped before publishing; the message says why."""


@dataclass
class RawState:
    """What raw/ holds now: partition key (file name) -> sha256 of its bytes."""

    hashes: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    # SHA-256 of raw/sources.csv ("" without one): a change to it alone asks for a release, not an extraction.
    sources_sha256: str = ""


NAMES_SHOWN = 10  # in a message: a whole archive's file names would bury the rest of it


def listed(names: Iterable[str], limit: int = NAMES_SHOWN) -> str:
    """Names for a message: the first `limit`, then how many more."""
    names = list(names)
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


def scan_raw(raw_dir: Path) -> RawState:
    """Read and decode every document now, so a bad one stops the run before any work is done.

    Every rejected document is named, with its reason, in one line: one run shows them all."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise PipelineError(f"raw documents folder not found: {raw_dir}")
    hashes: dict[str, str] = {}
    by_text: dict[str, str] = {}  # digest of the decoded text -> file name (texts are not kept)
    by_id: dict[str, str] = {}  # document_id -> file name
    problems: list[str] = []
    for path in list_document_paths(raw_dir):
        try:
            doc = read_document(path)
        except DocumentError as err:
            problems.append(str(err))
            continue
        except OSError as err:
            problems.append(f"{shown(path.name)}: unreadable: {err.strerror or err}")
            continue
        digest = text_digest(doc.text)
        if digest in by_text:
            problems.append(
                f"{shown(path.name)}: duplicate document: same text as {by_text[digest]} (remove one of them)"
            )
            continue
        if doc.document_id in by_id:
            problems.append(
                f"{shown(path.name)}: document id {doc.document_id!r} clashes with "
                f"{by_id[doc.document_id]} (rename one of them)"
            )
            continue
        by_text[digest] = by_id[doc.document_id] = shown(path.name)
        hashes[path.name] = doc.sha256
    if len(problems) == 1:
        raise PipelineError(f"raw document rejected: {problems[0]}")
    if problems:
        raise PipelineError(f"{len(problems)} raw documents rejected: " + "; ".join(problems))
    if not hashes:
        raise PipelineError(f"no documents in {raw_dir}")
    try:
        read_sources(raw_dir, set(hashes))
    except SourcesError as err:
        raise PipelineError(str(err)) from None
    path = sources_path(raw_dir)
    return RawState(hashes, sources_sha256=hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "")


EXTRACTION_MARKER = dg.AssetKey("document_facts")  # its metadata records what each extraction read


def latest_extractions(instance: dg.DagsterInstance, keys: Iterable[str]) -> dict[str, dict]:
    """Metadata of the last extraction of each of these document partitions, with the id of its event
    record (``record_id``); a partition never extracted is left out. Read in a few queries whatever the
    number of documents (``execution.latest_materializations``)."""
    # latest_materializations gives records of materialization events: each holds its materialization.
    return {
        key: {
            **{k: v.value for k, v in cast(dg.AssetMaterialization, record.asset_materialization).metadata.items()},
            "record_id": record.storage_id,
        }
        for key, record in latest_materializations(instance, EXTRACTION_MARKER, keys).items()
    }


def why_stale(last: dict, sha: str, code_version: str) -> str | None:
    """Why a document must be extracted (again), from its last extraction (``latest_extractions``);
    None when that extraction read these very bytes with this extractor code."""
    if not last:
        return "never extracted"
    if last.get("sha256") != sha:
        return "document changed"
    if last.get("extractor_version") != code_version:
        return "extractor code changed"
    return None


def stale_partitions(instance: dg.DagsterInstance, state: RawState, code_version: str) -> dict[str, dict]:
    """The documents to extract, in key order, each with its last extraction (``latest_extractions``)."""
    stale = {}
    extractions = latest_extractions(instance, state.hashes)
    for key, sha in sorted(state.hashes.items()):
        last = extractions.get(key, {})
        if why_stale(last, sha, code_version):
            stale[key] = last
    return stale


def partition_changes(existing: set[str], keys: set[str]) -> tuple[list[str], list[str]]:
    """(partitions to add, partitions to delete) for the documents now in raw/."""
    return sorted(keys - existing), sorted(existing - keys)


def sync_partitions(instance: dg.DagsterInstance, keys: set[str]) -> tuple[list[str], list[str]]:
    added, removed = partition_changes(set(instance.get_dynamic_partitions(PARTITIONS)), keys)
    if added:
        instance.add_dynamic_partitions(PARTITIONS, added)
    for key in removed:
        instance.delete_dynamic_partition(PARTITIONS, key)
    return added, removed


# Stale partitions are materialised together, in runs of at most this many documents (Dagster's
# backfills too, definitions.EXTRACTION_BACKFILL): a run's overhead is paid once per batch, not once
# per document, and a run's memory grows with its documents. `make release` and the sensor ask for
# the same batches.
EXTRACTION_BATCH = 1000
# Dagster's run tags for a run over a range of partitions (its public way to ask for one).
ASSET_PARTITION_RANGE_START = "dagster/asset_partition_range_start"
ASSET_PARTITION_RANGE_END = "dagster/asset_partition_range_end"


def extraction_batches(order: Iterable[str], stale: Iterable[str], size: int = EXTRACTION_BATCH) -> list[list[str]]:
    """The stale partitions as runs: a run materialises a range of partitions in the partitions'
    order, so each batch is a stretch of consecutive stale partitions, at most size long. A full
    rebuild is one run per `size` documents; one changed document, one run of one."""
    wanted = set(stale)
    batches: list[list[str]] = []
    current: list[str] = []
    for key in order:
        if key in wanted and len(current) < size:
            current.append(key)
            continue
        if current:
            batches.append(current)
        current = [key] if key in wanted else []
    if current:
        batches.append(current)
    return batches


def range_tags(batch: list[str]) -> dict[str, str]:
    """The run tags that make a run materialise this range of partitions (Dagster's public way)."""
    return {ASSET_PARTITION_RANGE_START: batch[0], ASSET_PARTITION_RANGE_END: batch[-1]}
