"""Run the pipeline in-process: extract what is stale, then build, check and publish.

Belongs here: the lock that keeps two runs apart, marking failed the runs of earlier ``make release``
processes that are gone (killed), running the Dagster jobs of the definitions (extraction in one
run per batch of stale documents), turning a failed or interrupted run into one ``PipelineError``
that says why.
Does not belong here: deciding what is stale (``pipelines.orchestration.staleness``), extraction or
publishing logic (plain functions the assets call), the command line (``pipelines.cli``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import dagster as dg

from pipelines.extract import extractor_version
from pipelines.orchestration.definitions import PER_DOCUMENT_ASSET_NAMES, build_definitions
from pipelines.orchestration.execution import execute, mark_run_failed, run_failure
from pipelines.orchestration.pool import pool_workers
from pipelines.orchestration.progress import progress_of
from pipelines.orchestration.project_state import (
    broken_state_line,
    check_before_work,
    documents_to_extract_again,
    unreadable_stored_files,
)
from pipelines.orchestration.staleness import (
    PARTITIONS,
    PipelineError,
    extraction_batches,
    listed,
    range_tags,
    scan_raw,
    stale_partitions,
    sync_partitions,
)
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


# Tags on every run `make release` makes: which process runs it, so that a later run can tell a
# run whose process is gone (killed) from one still running (recover_dead_runs).
PID_TAG, HOST_TAG, STARTED_TAG = "jac/pid", "jac/host", "jac/process_start"
ALIVE_STATUSES = [dg.DagsterRunStatus.NOT_STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED]


def _process_start(pid: int) -> str:
    """When a process started (clock ticks since boot, Linux), "" when unknown: with the pid, it
    tells a process from a later one that was given the same pid."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def process_tags() -> dict[str, str]:
    pid = os.getpid()
    return {PID_TAG: str(pid), HOST_TAG: socket.gethostname(), STARTED_TAG: _process_start(pid)}


def process_alive(tags: dict[str, str]) -> bool:
    """Whether the process these run tags name still runs (on this host)."""
    pid = int(tags[PID_TAG])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    started = tags.get(STARTED_TAG, "")
    return not started or _process_start(pid) in ("", started)


def recover_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark as failed the runs `make release` started on this host whose process is gone (killed,
    or the machine restarted): they would stay STARTED for ever, and a release run among them would
    hold the one ``jac/publishes`` slot, so that every release the sensor requests waits queued.
    The ids of the runs marked, oldest first. Runs the daemon launched are its run monitoring's."""
    host = socket.gethostname()
    dead = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=ALIVE_STATUSES, tags={HOST_TAG: host})):
        if PID_TAG in run.tags and not process_alive(dict(run.tags)):
            mark_run_failed(
                instance,
                run,
                f"the process that ran it (pid {run.tags[PID_TAG]} on {host}) is gone: killed or "
                "the machine restarted; marked failed by the next `make release`",
            )
            dead.append(run.run_id)
    return dead[::-1]


def extract_job(root: str) -> dg.JobDefinition:
    """The job that extracts a batch of documents, of the project at root."""
    return build_definitions(root).resolve_job_def("extract_document")


@dataclass
class RunSummary:
    extracted: list[str]
    added: list[str]
    removed: list[str]
    release_message: str
    version: str | None
    published: bool
    recovered: list[str] = field(default_factory=list)


class Interrupted(PipelineError):
    """Ctrl-C: the run stopped; the message says what was kept."""


def _was_interrupted(result: dg.ExecuteInProcessResult) -> bool:
    """Whether the run failed because of Ctrl-C (in a step, a hook or between them)."""
    return not result.success and any(
        "Interrupt" in _error_chain(getattr(event.event_specific_data, "error", None)) for event in result.all_events
    )


def _error_chain(error) -> str:
    names = []
    while error is not None:
        names.append(error.cls_name or "")
        error = error.cause or error.context
    return " ".join(names)


def run_pipeline(root: Path, instance: dg.DagsterInstance) -> RunSummary:
    """Extract what changed, then build, check and publish. Raises PipelineError on any failure
    (Interrupted on Ctrl-C)."""
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
    recovered = recover_dead_runs(instance)
    state = scan_raw(root / "raw")
    check_before_work(root, storage)
    defs = build_definitions(root)
    added, removed = sync_partitions(instance, set(state.hashes))
    stale = stale_partitions(instance, state, extractor_version())
    try:
        pool_workers(len(stale), 1)  # JAC_EXTRACT_WORKERS checked before any work
    except ValueError as err:
        raise PipelineError(str(err)) from None
    tags = process_tags()
    extracted = _extract(root, instance, defs, list(stale), tags)
    steps = len(defs.resolve_job_def("release").nodes_in_topological_order)
    with progress_of("publishing", "release run completed", steps, "steps"):
        result = _release(instance, defs, tags, extracted)
        if not _succeeded(result):
            unreadable = unreadable_stored_files(run_failure(result))
            again = documents_to_extract_again(unreadable, storage, PER_DOCUMENT_ASSET_NAMES)
            if again:
                # An emptied or truncated intermediate (a full disk, a hand edit): that document's are made again.
                log.warning(
                    "stored intermediates of %s could not be read (%s): extracted again",
                    listed(again),
                    listed([str(p.relative_to(storage)) for p in unreadable]),
                )
                _extract(root, instance, defs, again, tags)
                result = _release(instance, defs, tags, extracted)
        if not _succeeded(result):
            failure = run_failure(result)
            raise PipelineError(
                broken_state_line(failure, root, storage) or f"release run failed; nothing was published:\n{failure}"
            )
    meta = {k: v.value for k, v in result.asset_materializations_for_node("data_package")[0].metadata.items()}
    # Read back as data_package records them (definitions.py): the message, the version or "", published.
    return RunSummary(
        sorted(stale),
        added,
        removed,
        cast(str, meta["message"]),
        cast(str, meta["version"]) or None,
        cast(bool, meta["published"]),
        recovered,
    )


def _succeeded(result: dg.ExecuteInProcessResult) -> bool:
    return result.success and all(e.passed for e in result.get_asset_check_evaluations())


def _extract(
    root: Path, instance: dg.DagsterInstance, defs: dg.Definitions, keys: list[str], tags: dict[str, str]
) -> list[str]:
    """Extract these documents, one run per batch; the documents extracted."""
    job = defs.resolve_job_def("extract_document")
    extracted: list[str] = []
    for batch in extraction_batches(instance.get_dynamic_partitions(PARTITIONS), keys):
        result = execute(job, instance, SILENT, tags={**tags, **range_tags(batch)})
        if _was_interrupted(result):
            raise Interrupted(
                "releases/ unchanged; the documents extracted before the interrupted batch are kept "
                f"({len(extracted)} of {len(keys)} in this run): the next run extracts the rest"
            )
        if not result.success:
            failure = run_failure(result)
            raise PipelineError(
                broken_state_line(failure, root, Path(instance.storage_directory()))
                or f"{failure} (nothing was published)"
            )
        extracted += batch
    return extracted


def _release(
    instance: dg.DagsterInstance, defs: dg.Definitions, tags: dict[str, str], extracted: list[str]
) -> dg.ExecuteInProcessResult:
    result = execute(defs.resolve_job_def("release"), instance, SILENT, tags=tags)
    if _was_interrupted(result):
        raise Interrupted(
            f"releases/ unchanged (nothing was published); every document extracted is kept ({len(extracted)} in this run)"
        )
    return result


def get_instance() -> dg.DagsterInstance:
    if not os.environ.get("DAGSTER_HOME"):
        raise PipelineError("DAGSTER_HOME is not set (the Makefile sets it to .dagster/)")
    Path(os.environ["DAGSTER_HOME"]).mkdir(parents=True, exist_ok=True)
    return dg.DagsterInstance.get()
