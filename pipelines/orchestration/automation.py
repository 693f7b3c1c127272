"""Unattended runs: the sensor on raw/ and the daily schedule.

Belongs here: deciding, on each tick, what to request from raw/ and the Dagster instance, and the
messages operators read on the tick. Each tick reconciles; nothing is queued here:

- the ``documents`` partitions follow raw/ (add a partition for a new file, delete the partition of
  a removed one);
- a document is (re-)extracted when it is *stale*: never extracted, or its last ``document_facts``
  materialization was made from other bytes or by other extractor code (``pipelines.orchestration.staleness`` decides,
  the same rule ``make release`` uses): one ``extract_document`` run per batch of stale documents
  (a range of partitions, as ``make release`` asks for it: ``staleness.extraction_batches``);
- a ``release`` run is requested only once no document is stale, so it never runs before the
  extractions it needs, and only when raw/ (its documents or raw/sources.csv, which the documents
  table joins) or the extractor code differs from what the previous release request covered (the cursor).

A failed extraction holds the release back and the tick says which run failed; a failed release is
not retried for the same raw/ (the run shows why; the schedule or the next change tries again).
Does not belong here: reading or checking documents, deciding staleness (``pipelines.orchestration.staleness``), what
a run does (the assets in ``pipelines.orchestration.definitions``).
"""

import hashlib
import json
from dataclasses import dataclass
from typing import cast

import dagster as dg

from pipelines.extract import extractor_version
from pipelines.orchestration.resources import Project
from pipelines.orchestration.staleness import (
    PARTITIONS,
    PipelineError,
    RawState,
    extraction_batches,
    listed,
    partition_changes,
    range_tags,
    scan_raw,
    stale_partitions,
    why_stale,
)

SENSOR_NAME = "raw_documents_sensor"
SCHEDULE_NAME = "daily_release"
# On every extraction run the sensor requests: which documents, bytes, code and previous extractions.
EXTRACTION_TAG = "jac/extraction"
TRIGGER_TAG = "jac/trigger"
_FAILED = (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


@dataclass
class PendingWork:
    """What raw/ asks for compared with the instance."""

    state: RawState
    code_version: str
    added: list[str]  # in raw/, no partition yet
    removed: list[str]  # a partition, no longer in raw/
    stale: dict[str, dict]  # in raw/, not extracted from these bytes by this code -> its last extraction

    def waiting_message(self) -> str:
        parts = []
        if self.added:
            parts.append("new in raw/, no partition yet: " + listed(self.added))
        if self.stale:
            parts.append("not yet extracted from their current bytes and extractor code: " + listed(self.stale))
        if self.removed:
            parts.append("removed from raw/ but still a partition: " + listed(self.removed))
        return "; ".join(parts)


def pending_work(instance: dg.DagsterInstance, project: Project) -> PendingWork:
    """Read raw/ (a bad document raises PipelineError naming it) and compare it with the instance."""
    state = scan_raw(project.raw_dir)
    code_version = extractor_version()
    added, removed = partition_changes(set(instance.get_dynamic_partitions(PARTITIONS)), set(state.hashes))
    return PendingWork(state, code_version, added, removed, stale_partitions(instance, state, code_version))


def _state_of(work: PendingWork) -> dict:
    return {
        "extractor_version": work.code_version,
        "documents": dict(sorted(work.state.hashes.items())),
        "sources": work.state.sources_sha256,
    }


def _read_cursor(cursor: str | None) -> dict:
    """The state the last release request covered, and how many releases were requested."""
    try:
        data = json.loads(cursor) if cursor else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("documents"), dict) else {}


def _release_reason(previous: dict, state: dict, deleted: list[str]) -> str:
    """What changed since the last release request, in words (a tag and a log line of the run)."""
    if not previous:
        return "first release request of this sensor"
    before, now = previous["documents"], state["documents"]
    parts = [
        f"{what}: {listed(keys)}"
        for what, keys in (
            ("added", sorted(set(now) - set(before))),
            ("changed", sorted(k for k in now if k in before and before[k] != now[k])),
            ("removed", sorted(set(before) - set(now) | set(deleted))),
        )
        if keys
    ]
    if previous.get("extractor_version") != state["extractor_version"]:
        parts.append("extractor code changed")
    if previous.get("sources") != state["sources"]:
        parts.append("raw/sources.csv changed")
    return "; ".join(parts) or "document partitions changed"


def build_automation(extract_job, release_job) -> tuple[dg.SensorDefinition, dg.ScheduleDefinition]:
    """The sensor and the schedule, targeting the project's two jobs."""

    @dg.sensor(
        name=SENSOR_NAME,
        jobs=[extract_job, release_job],
        minimum_interval_seconds=30,
        description="Watches raw/ by content hash: adds and deletes document partitions, extracts new "
        "or changed documents (or all, when the extractor code changed), then requests "
        "a release once every document is extracted.",
    )
    def raw_documents_sensor(context: dg.SensorEvaluationContext, project: Project):
        instance = context.instance
        try:
            work = pending_work(instance, project)
        except PipelineError as err:
            return dg.SkipReason(f"{err}. Nothing requested until raw/ is fixed.")
        dynamic: list[dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest] = []
        if work.added:
            dynamic.append(dg.AddDynamicPartitionsRequest(PARTITIONS, work.added))
        if work.removed:
            dynamic.append(dg.DeleteDynamicPartitionsRequest(PARTITIONS, work.removed))
            context.log.info(f"deleting the partitions of documents removed from raw/: {listed(work.removed)}")

        if work.stale:
            requests, waiting, failed = [], [], []
            order = [k for k in instance.get_dynamic_partitions(PARTITIONS) if k not in work.removed] + work.added
            for batch in extraction_batches(order, work.stale):
                seen = [f"{key}:{work.state.hashes[key][:16]}:{work.stale[key].get('record_id', 0)}" for key in batch]
                digest = hashlib.sha256(json.dumps([work.code_version, seen]).encode()).hexdigest()[:16]
                ident = f"{batch[0]}..{batch[-1]}:{digest}"[-200:]
                runs = instance.get_runs(filters=dg.RunsFilter(tags={EXTRACTION_TAG: ident}), limit=1)
                if not runs:
                    whys = sorted(
                        {cast(str, why_stale(work.stale[k], work.state.hashes[k], work.code_version)) for k in batch}
                    )
                    why = "; ".join(whys)
                    context.log.info(f"requesting extraction of {listed(batch)}: {why}")
                    requests.append(
                        dg.RunRequest(
                            run_key=f"extract:{ident}",
                            job_name=extract_job.name,
                            tags={**range_tags(batch), EXTRACTION_TAG: ident, TRIGGER_TAG: why[:200]},
                        )
                    )
                elif runs[0].status in _FAILED:
                    failed.append(f"{listed(batch)} (run {runs[0].run_id[:8]} {runs[0].status.value})")
                else:
                    waiting.append(f"{listed(batch)} (run {runs[0].run_id[:8]} {runs[0].status.value})")
            if requests:
                if failed:
                    context.log.warning("extraction failed, not retried: " + listed(failed))
                return dg.SensorResult(run_requests=requests, dynamic_partitions_requests=dynamic)
            reasons = []
            if failed:
                reasons.append(
                    "extraction failed for " + listed(failed) + ": the release waits until every "
                    "document in raw/ is extracted; fix the document or the extractor (a change to "
                    "either is picked up), or re-execute the failed run"
                )
            if waiting:
                reasons.append("waiting for extraction of " + listed(waiting) + " before requesting a release")
            return dg.SensorResult(skip_reason="; ".join(reasons), dynamic_partitions_requests=dynamic)

        state = _state_of(work)
        previous = _read_cursor(context.cursor)
        if not dynamic and {k: previous.get(k) for k in state} == state:
            return dg.SkipReason(
                f"raw/ unchanged: {len(work.state.hashes)} documents, all extracted and covered by "
                f"release request #{previous.get('releases', 0)}"
            )
        number = int(previous.get("releases", 0)) + 1
        digest = hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
        why = _release_reason(previous, state, work.removed)
        context.log.info(f"requesting release #{number}: {why}")
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(
                    run_key=f"release:{number}:{digest}", job_name=release_job.name, tags={TRIGGER_TAG: why[:200]}
                )
            ],
            dynamic_partitions_requests=dynamic,
            cursor=json.dumps({**state, "releases": number}, sort_keys=True),
        )

    @dg.schedule(
        name=SCHEDULE_NAME,
        job=release_job,
        cron_schedule="0 3 * * *",
        execution_timezone="UTC",
        description="Daily rebuild and publish (a no-op publish when nothing changed); skipped while "
        "raw/ has documents not yet extracted or removed ones not yet dropped.",
    )
    def daily_release(context: dg.ScheduleEvaluationContext, project: Project):
        try:
            work = pending_work(context.instance, project)
        except PipelineError as err:
            return dg.SkipReason(f"{err}. No release until raw/ is fixed.")
        if work.stale or work.added or work.removed:
            return dg.SkipReason(
                f"release postponed, documents {work.waiting_message()}. The sensor "
                f"{SENSOR_NAME} (or `make release`) brings them up to date."
            )
        return dg.RunRequest(tags={TRIGGER_TAG: "daily schedule"})

    return raw_documents_sensor, daily_release
