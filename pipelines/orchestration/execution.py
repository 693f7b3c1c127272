"""Running Dagster jobs in this process, and how such a process begins and ends.

Belongs here, by section:
- Dagster internals: ``execute``, what ``make release`` (``pipelines.orchestration.runner``) uses
  to run a job in-process (a batch of partitions by Dagster's range tags), the project's only use
  of ``dagster._core``; and ``latest_materializations`` (each partition's last materialization, from
  which ``make release`` and the sensor decide what is stale) and ``checks_passed_in_run``, which go beyond Dagster's
  documented API, and ``mark_run_failed`` (ending a run a killed process left STARTED). Each
  docstring says which internals, why, the measured gain and the public API it stands in for;
  tests/test_stand_ins.py checks that each agrees with that API. Keep any other use of Dagster
  internals here, documented the same way.
- Failed runs: ``run_failure`` (what a failed run says).
- The process: ``freeze_imports`` and ``end_process``, so that ``make release`` and the benchmark's
  runs live the same way.
It imports only Dagster. Does not belong here: deciding what to run (``pipelines.orchestration.runner``),
work spread over processes (``pipelines.orchestration.pool``).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from typing import NoReturn

import dagster as dg

# Run config that keeps Dagster's console to warnings and errors (make release and the benchmark).
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


# --- Dagster internals -------------------------------------------------------------------------------


def execute(
    job: dg.JobDefinition,
    instance: dg.DagsterInstance,
    run_config: Mapping | None = None,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> dg.ExecuteInProcessResult:
    """``job.execute_in_process(run_config, instance, partition_key, tags, raise_on_error=False)``,
    minus the in-memory copy of every output. A run over a range of partitions is asked for as the
    public call asks for it: ``tags`` with ``dagster/asset_partition_range_start`` and ``_end``.

    Which internals: the body of Dagster's public ``JobDefinition.execute_in_process`` (pinned
    Dagster, requirements.lock) without what this project never passes (op or asset selection,
    input values, resources, a run config taken from a partitioned config when none is given)
    and with the one argument it hard-wires changed. It calls
    ``dagster._core.execution.execute_in_process.core_execute_in_process`` with
    ``output_capturing_enabled=True``, which keeps every step's output in memory until the run ends,
    so that the result can hand them back (``output_for_node``, ``asset_value``). This project never
    reads an output from a result (the IO manager stores them; a step that loads its tables one at a
    time would otherwise still find them all held), so the same calls are made here with
    ``output_capturing_enabled=False``: ``core_execute_in_process``, ``type_check_and_normalize_args``
    and ``merge_run_tags`` from that module, and ``dagster._core.definitions.job_base.InMemoryJob``.

    Measured gain, the peak resident memory of a whole run (``make release``'s process; it peaks in
    the release run): at 30x 279 -> 261 MiB when it came in (commit 01908ce); again on 5f5ce96, the
    bench's corpora on 2 cores, the public call swapped in for this one: 260 -> 242 MiB at 30x, 356 ->
    298 MiB at 100x (the same published data files). With the public call the peak would grow
    about 128 MiB from 1x to 100x instead of 70 (BENCHMARKS.md), over the target of twice the +57 MiB
    of facts and texts.

    Agreement: tests/test_stand_ins.py runs the same jobs through both (a partition that succeeds,
    one whose step raises, a run whose blocking check passes, one whose check fails) and finds the
    same status, tags, events, materializations, check evaluations and ``run_failure``; only
    ``output_for_node`` differs (nothing kept). On a Dagster upgrade, that test says whether this
    copy still agrees; if it breaks, ``job.execute_in_process(..., raise_on_error=False)`` does the
    same job with more memory."""
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.execute_in_process import (
        core_execute_in_process,
        merge_run_tags,
        type_check_and_normalize_args,
    )

    run_config, _, asset_selection, resource_defs, partition_key, input_values = type_check_and_normalize_args(
        run_config=run_config, partition_key=partition_key
    )
    ephemeral = job.as_ephemeral_job(resource_defs=resource_defs, input_values=input_values)
    if partition_key and ephemeral.partitions_def:
        with dg.partition_loading_context(dynamic_partitions_store=instance) as context:
            ephemeral.validate_partition_key(partition_key=partition_key, selected_asset_keys=set(), context=context)
    return core_execute_in_process(
        job=InMemoryJob(job_def=ephemeral),
        run_config=run_config,
        instance=instance,
        output_capturing_enabled=False,
        raise_on_error=False,
        run_tags=merge_run_tags(
            job_def=job,
            partition_key=partition_key,
            tags=tags,
            asset_selection=asset_selection,
            instance=instance,
            run_config=run_config,
        ),
        run_id=None,
        asset_selection=frozenset(asset_selection),
    )


RECORDS_PER_QUERY = 500  # storage ids per query: well under SQLite's limit on bound parameters


def checks_passed_in_run(instance: dg.DagsterInstance, keys: Iterable[dg.AssetCheckKey], run_id: str) -> bool:
    """Whether the latest execution of every one of these asset checks succeeded in this run.

    Which internal: ``instance.event_log_storage.get_latest_asset_check_execution_by_key`` (one query
    for every check key), outside Dagster's documented API. The release asset asks it so that, when
    every blocking check passed in its own run, it does not validate every table again against the
    texts of raw/ (reading every document and running every schema again: about as long as the
    checks themselves). Without it the asset would validate again, always: correct, slower. The
    behaviour is tested by tests/test_pipeline.py (a release run validates again unless every check
    passed in that run)."""
    keys = list(keys)
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(keys)
    return all(
        key in latest and latest[key].run_id == run_id and latest[key].status.value == "SUCCEEDED" for key in keys
    )


def latest_materializations(
    instance: dg.DagsterInstance, asset_key: dg.AssetKey, partitions: Iterable[str]
) -> dict[str, dg.EventLogRecord]:
    """The record of the last materialization of each of these partitions of an asset, by partition;
    a partition never materialized is left out. A query for the latest record id of every partition,
    then one per RECORDS_PER_QUERY records: not a query per partition (about 5 ms each, which a
    driver would pay for every document in raw/).

    Beyond Dagster's documented API, though not ``dagster._core``: ``DagsterInstance.event_log_storage``
    (a property outside the documented API) and its ``get_latest_storage_id_by_partition`` (a method
    of Dagster's public ``EventLogStorage`` interface, which every storage implements). It stands in
    for one public ``instance.fetch_materializations(dg.AssetRecordsFilter(asset_key=...,
    asset_partitions=[key]), limit=1)`` per partition. Measured gain (commit e432553): deciding what
    is stale at 100x (500 documents), on every run and sensor tick, 2.53 -> 0.21 s. Agreement:
    tests/test_stand_ins.py compares it with those public queries."""
    wanted = set(partitions)
    latest = instance.event_log_storage.get_latest_storage_id_by_partition(
        asset_key, dg.DagsterEventType.ASSET_MATERIALIZATION
    )
    ids = sorted(i for key, i in latest.items() if key in wanted)
    found: dict[str, dg.EventLogRecord] = {}
    for start in range(0, len(ids), RECORDS_PER_QUERY):
        batch = ids[start : start + RECORDS_PER_QUERY]
        result = instance.fetch_materializations(
            dg.AssetRecordsFilter(asset_key=asset_key, storage_ids=batch), limit=len(batch)
        )
        for record in result.records:
            materialization = record.asset_materialization
            if materialization is not None and materialization.partition is not None:
                found[materialization.partition] = record
    return found


def mark_run_failed(instance: dg.DagsterInstance, run: dg.DagsterRun, message: str) -> None:
    """Record a run whose process is gone as failed: a FAILURE event with message, which moves the
    run to FAILURE and so frees any run-concurrency slot (``jac/publishes``) it held.

    Which internal: ``DagsterInstance.report_run_failed``, a method outside Dagster's documented
    API; Dagster's run monitoring (the daemon) calls it for the runs it launched whose worker died.
    The public API offers no way to end a run another process left STARTED (``make release`` runs
    jobs in its own process, outside the daemon's watch), so there is no public call it stands in
    for. Tested by tests/test_recovery.py (a run left STARTED by a killed process ends FAILURE with
    this message, and the next ``make release`` succeeds)."""
    instance.report_run_failed(run, message)


# --- Failed runs -------------------------------------------------------------------------------------


def run_failure(result: dg.ExecuteInProcessResult) -> str:
    """What failed, in words: each failed check's own report (table, rows, documents), then the
    errors of failed steps (a failed blocking check's step error only repeats the check's name)."""
    messages = [
        e.description or f"{e.asset_key.to_user_string()}: check {e.check_name} failed"
        for e in result.get_asset_check_evaluations()
        if not e.passed
    ]
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE and event.step_failure_data.error:
            err = event.step_failure_data.error
            # Dagster's wrappers (a step's, an input's or an output's user code failed) say less than their cause.
            while err.cause is not None and (err.cls_name or "").startswith("DagsterExecution"):
                err = err.cause
            if err.cls_name == "DagsterAssetCheckFailedError" and messages:
                continue
            messages.append(f"{event.step_key}: {err.message.strip()}")
    return "\n".join(messages) or "unknown failure"


# --- The process -------------------------------------------------------------------------------------


def freeze_imports() -> None:
    """Call once the modules are imported: their objects (Dagster's, pandas', the code location's)
    live until the process ends, so the cyclic garbage collector need not scan them again at every
    full collection of the run."""
    gc.collect()
    gc.freeze()


def end_process(code: int) -> NoReturn:
    """Exit once the work is done and on disk, without the interpreter's teardown: freeing every
    object of Dagster, pandas and DuckDB one by one takes about half a second, and the operating
    system takes the memory back at once. Only for a process's main block, after every file and
    database the process wrote is closed (the jobs close theirs; the Dagster instance is disposed)."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
