"""Run the pipeline from the command line (``make release``) and decide what work a run needs.

Belongs here: checking raw/ before anything runs (unreadable or duplicate documents stop the run),
syncing the document partitions with raw/, finding the partitions whose document or extraction code
changed, running the Dagster jobs in-process, and the lock that keeps two runs apart.
Does not belong here: extraction or publishing logic (they are assets' plain functions).
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipelines.documents import DocumentError, list_document_paths, read_document

log = logging.getLogger("pipelines.run")
PARTITIONS = "documents"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


class PipelineError(RuntimeError):
    """The run stopped before publishing; the message says why."""


@dataclass
class RawState:
    """What raw/ holds now: partition key (file name) -> sha256 of its bytes."""

    hashes: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def scan_raw(raw_dir: Path) -> RawState:
    """Read and decode every document now, so a bad one stops the run before any work is done."""
    hashes, by_text = {}, {}
    for path in list_document_paths(raw_dir):
        try:
            doc = read_document(path)
        except DocumentError as err:
            raise PipelineError(f"raw document rejected: {err}") from err
        except OSError as err:
            raise PipelineError(f"raw document unreadable: {path.name}: {err}") from err
        if doc.text in by_text:
            raise PipelineError(f"duplicate document: {path.name} has the same text as {by_text[doc.text]}; "
                                "remove one of them")
        by_text[doc.text] = path.name
        hashes[path.name] = doc.sha256
    if not hashes:
        raise PipelineError(f"no documents in {raw_dir}")
    return RawState(hashes)


def latest_extraction(instance: dg.DagsterInstance, key: str) -> dict:
    """Metadata of the last extraction of one document partition ({} if never extracted)."""
    result = instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=dg.AssetKey("document_coverage"), asset_partitions=[key]), limit=1,
        ascending=False)
    if not result.records:
        return {}
    meta = result.records[0].asset_materialization.metadata
    return {k: v.value for k, v in meta.items()}


def stale_partitions(instance: dg.DagsterInstance, state: RawState, code_version: str) -> list[str]:
    stale = []
    for key, sha in sorted(state.hashes.items()):
        last = latest_extraction(instance, key)
        if last.get("sha256") != sha or last.get("extractor_version") != code_version:
            stale.append(key)
    return stale


def sync_partitions(instance: dg.DagsterInstance, keys: set[str]) -> tuple[list[str], list[str]]:
    existing = set(instance.get_dynamic_partitions(PARTITIONS))
    added, removed = sorted(keys - existing), sorted(existing - keys)
    if added:
        instance.add_dynamic_partitions(PARTITIONS, added)
    for key in removed:
        instance.delete_dynamic_partition(PARTITIONS, key)
    return added, removed


@contextmanager
def project_lock(root: Path):
    """One run at a time per project: a second run fails at once with a clear message."""
    path = Path(root) / ".pipeline.lock"
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            raise PipelineError(f"another pipeline run holds {path}; wait for it to finish") from err
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
        extract_job = defs.resolve_job_def("extract_document")
        for key in stale:
            result = extract_job.execute_in_process(partition_key=key, instance=instance, raise_on_error=False,
                                                run_config=QUIET)
            if not result.success:
                raise PipelineError(f"extraction failed for {key}: {_failure(result)}")
        result = defs.resolve_job_def("release").execute_in_process(instance=instance, raise_on_error=False,
                                                                     run_config=QUIET)
        if not result.success:
            raise PipelineError(f"release run failed; nothing was published:\n{_failure(result)}")
        failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
        if failed_checks:
            raise PipelineError("checks failed; nothing was published:\n" + "\n".join(
                e.description or str(e.check_name) for e in failed_checks))
        meta = {k: v.value for k, v in result.asset_materializations_for_node("release")[0].metadata.items()}
        return RunSummary(stale, added, removed, meta["message"], meta["version"] or None, meta["published"])


def _failure(result: dg.ExecuteInProcessResult) -> str:
    messages = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE and event.step_failure_data.error:
            err = event.step_failure_data.error
            while err.cause is not None and "DagsterExecutionStepExecutionError" in err.cls_name:
                err = err.cause
            messages.append(f"{event.step_key}: {err.message.strip()}")
    failed_checks = [e for e in result.get_asset_check_evaluations() if not e.passed]
    messages += [e.description or str(e.check_name) for e in failed_checks]
    return "\n".join(messages) or "unknown failure"


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
        summary = run_pipeline(Path(args.root), get_instance())
    except PipelineError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"documents extracted: {len(summary.extracted)} ({', '.join(summary.extracted) or 'none changed'})")
    if summary.removed:
        print(f"documents removed: {', '.join(summary.removed)}")
    print(summary.release_message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
