"""Run the pipeline from the command line (``make release``) and decide what work a run needs.

Belongs here: checking raw/ before anything runs (unreadable, duplicate or clashing documents stop
the run, all of them named in one message), syncing the document partitions with raw/, finding the
partitions whose document or extraction code changed, running the Dagster jobs in-process, turning
a failed run into one ``PipelineError`` that says why, and the lock that keeps two runs apart.
Does not belong here: extraction or publishing logic (they are assets' plain functions), or how a
single file is decoded (``pipelines.documents``).
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sys
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.documents import DocumentError, list_document_paths, read_document, shown, text_digest
from pipelines.execution import (
    QUIET,
    execute,
    execute_partitions,
    latest_materializations,
    partition_workers,
    run_failure,
)

log = logging.getLogger("pipelines.run")
PARTITIONS = "documents"


class PipelineError(RuntimeError):
    """The run stopped before publishing; the message says why."""


@dataclass
class RawState:
    """What raw/ holds now: partition key (file name) -> sha256 of its bytes."""

    hashes: dict[str, str]
    warnings: list[str] = field(default_factory=list)


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
    return RawState(hashes)


EXTRACTION_MARKER = dg.AssetKey("document_coverage")  # its metadata records what each extraction read


def latest_extractions(instance: dg.DagsterInstance, keys: Iterable[str]) -> dict[str, dict]:
    """Metadata of the last extraction of each of these document partitions, with the id of its event
    record (``record_id``); a partition never extracted is left out. Read in a few queries whatever the
    number of documents (``execution.latest_materializations``)."""
    return {
        key: {**{k: v.value for k, v in record.asset_materialization.metadata.items()}, "record_id": record.storage_id}
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


@contextmanager
def project_lock(root: Path):
    """One run at a time per project: a second run fails at once with a clear message.

    An advisory flock on <root>/.pipeline.lock: the kernel drops it when the holder exits, even
    killed, so a crashed run never leaves the project locked. The file holds the holder's pid."""
    root = Path(root)
    if not root.is_dir():
        raise PipelineError(f"project folder not found: {root}")
    path = root / ".pipeline.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            handle.seek(0)
            holder = handle.read().strip()
            who = f" (pid {holder})" if holder.isdigit() else ""
            raise PipelineError(f"another pipeline run{who} holds the lock {path}; wait for it to finish") from err
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def extract_job(root: str) -> dg.JobDefinition:
    """The per-document job of the project at root (made again in each extraction process)."""
    from pipelines.definitions import build_definitions

    return build_definitions(root).resolve_job_def("extract_document")


@dataclass
class RunSummary:
    extracted: list[str]
    added: list[str]
    removed: list[str]
    release_message: str
    version: str | None
    published: bool


def run_pipeline(root: Path, instance: dg.DagsterInstance) -> RunSummary:
    """Extract what changed, then build, check and publish. Raises PipelineError on any failure."""
    from pipelines.definitions import build_definitions, extractor_version

    root = Path(root).resolve()
    with project_lock(root):
        state = scan_raw(root / "raw")
        defs = build_definitions(root)
        added, removed = sync_partitions(instance, set(state.hashes))
        stale = stale_partitions(instance, state, extractor_version())
        try:
            workers = partition_workers(len(stale), instance)
        except ValueError as err:
            raise PipelineError(str(err)) from None
        failed = execute_partitions(
            ("pipelines.run", "extract_job", (str(root),)), instance, {key: QUIET for key in stale}, workers
        )
        if failed:
            key, failure = next(iter(failed.items()))
            more = f" (and {listed(list(failed)[1:])})" if len(failed) > 1 else ""
            raise PipelineError(f"extraction failed for {key}{more}: {failure}")
        result = execute(defs.resolve_job_def("release"), instance, QUIET)
        if not result.success or any(not e.passed for e in result.get_asset_check_evaluations()):
            raise PipelineError(f"release run failed; nothing was published:\n{run_failure(result)}")
        meta = {k: v.value for k, v in result.asset_materializations_for_node("data_package")[0].metadata.items()}
        return RunSummary(list(stale), added, removed, meta["message"], meta["version"] or None, meta["published"])


def get_instance() -> dg.DagsterInstance:
    if not os.environ.get("DAGSTER_HOME"):
        raise PipelineError("DAGSTER_HOME is not set (the Makefile sets it to .dagster/)")
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the whole pipeline and publish a release if data changed.")
    parser.add_argument("--root", default=".", help="project folder holding raw/ and releases/")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        with get_instance() as instance:
            summary = run_pipeline(Path(args.root), instance)
    except PipelineError as err:
        # One line that says what and why; details (failing rows...) follow on their own lines.
        first, *details = str(err).splitlines() or ["pipeline failed"]
        print(f"error: {first}", *details, sep="\n", file=sys.stderr)
        return 1
    print(f"documents extracted: {len(summary.extracted)} ({listed(summary.extracted) or 'none changed'})")
    if summary.removed:
        print(f"documents removed: {listed(summary.removed)}")
    print(summary.release_message)
    return 0


if __name__ == "__main__":
    import pipelines.definitions  # noqa: F401 - the code location, imported before freezing
    from pipelines.execution import end_process, freeze_imports

    freeze_imports()
    end_process(main())
