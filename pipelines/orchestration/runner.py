"""Run the pipeline in-process: extract what is stale, then build, check and publish.

Belongs here: the lock that keeps two runs apart, running the Dagster jobs of the definitions
(extraction in several processes where it pays), turning a failed run into one ``PipelineError``
that says why, and bringing the catalogue page up to date after a publish attempt.
Does not belong here: deciding what is stale (``pipelines.orchestration.staleness``), extraction or
publishing logic (plain functions the assets call), the command line (``pipelines.cli``).
"""

from __future__ import annotations

import fcntl
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import dagster as dg

from pipelines.extract import extractor_version
from pipelines.orchestration.definitions import PER_DOCUMENT_ASSET_NAMES, build_definitions
from pipelines.orchestration.execution import execute, execute_partitions, partition_workers, run_failure
from pipelines.orchestration.project_state import (
    broken_state_line,
    check_before_work,
    documents_to_extract_again,
    unreadable_stored_files,
)
from pipelines.orchestration.staleness import PipelineError, listed, scan_raw, stale_partitions, sync_partitions
from pipelines.publish.store import is_no_space, no_space_message

log = logging.getLogger(__name__)

# Run config of the runs make release makes: it says what failed itself, once (run_failure, in the
# PipelineError); Dagster's console would first print every failed step with its stack trace. The
# runs' events, stack traces included, stay in the instance for the UI.
SILENT = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


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
    root = Path(root).resolve()
    with project_lock(root):
        try:
            return _run_locked(root, instance)
        except PipelineError:
            raise
        except Exception as err:
            if is_no_space(err):  # Dagster's own storage (SQLite, outside any step) on a full disk
                where = getattr(err, "filename", None) or instance.storage_directory()
                raise PipelineError(no_space_message(where, root / "releases")) from None
            raise


def _run_locked(root: Path, instance: dg.DagsterInstance) -> RunSummary:
    storage = Path(instance.storage_directory())
    state = scan_raw(root / "raw")
    check_before_work(root, storage)
    defs = build_definitions(root)
    added, removed = sync_partitions(instance, set(state.hashes))
    stale = stale_partitions(instance, state, extractor_version())
    try:
        workers = partition_workers(len(stale), instance)
    except ValueError as err:
        raise PipelineError(str(err)) from None
    _extract(root, instance, list(stale), workers)
    result = execute(defs.resolve_job_def("release"), instance, SILENT)
    if not _succeeded(result):
        failure = run_failure(result)
        unreadable = unreadable_stored_files(failure)
        again = documents_to_extract_again(unreadable, storage, PER_DOCUMENT_ASSET_NAMES)
        if again:
            # An emptied or truncated intermediate (a full disk, a hand edit): that document's are made again.
            log.warning(
                "stored intermediates of %s could not be read (%s): extracted again",
                listed(again),
                listed([str(p.relative_to(storage)) for p in unreadable]),
            )
            _extract(root, instance, again, 1)
            result = execute(defs.resolve_job_def("release"), instance, SILENT)
    if not _succeeded(result):
        failure = run_failure(result)
        raise PipelineError(
            broken_state_line(failure, root, storage) or f"release run failed; nothing was published:\n{failure}"
        )
    meta = {k: v.value for k, v in result.asset_materializations_for_node("data_package")[0].metadata.items()}
    # Read back as data_package records them (definitions.py): the message, the version or "", published.
    return RunSummary(
        list(stale),
        added,
        removed,
        cast(str, meta["message"]),
        cast(str, meta["version"]) or None,
        cast(bool, meta["published"]),
    )


def _succeeded(result: dg.ExecuteInProcessResult) -> bool:
    return result.success and all(e.passed for e in result.get_asset_check_evaluations())


def _extract(root: Path, instance: dg.DagsterInstance, keys: list[str], workers: int) -> None:
    failed = execute_partitions(
        ("pipelines.orchestration.runner", "extract_job", (str(root),)),
        instance,
        {key: SILENT for key in keys},
        workers,
    )
    if failed:
        key, failure = next(iter(failed.items()))
        if line := broken_state_line(failure, root, Path(instance.storage_directory())):
            raise PipelineError(line)
        more = f" (and {listed(list(failed)[1:])})" if len(failed) > 1 else ""
        raise PipelineError(f"extraction failed for {key}{more}: {failure}")


def get_instance() -> dg.DagsterInstance:
    if not os.environ.get("DAGSTER_HOME"):
        raise PipelineError("DAGSTER_HOME is not set (the Makefile sets it to .dagster/)")
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()
