"""Running a Dagster job in this process without keeping its outputs in memory.

Belongs here: ``execute``, what ``make release`` (``pipelines.run``) and the benchmark's floor
(``pipelines.bench``) use to run a job in-process. ``JobDefinition.execute_in_process`` keeps every
step's output in memory until the run ends, so that its result can return them; this project never
reads outputs from a result (the IO manager stores them), and the release run would then hold every
table for the whole run, on top of the copies its later steps load. It imports only Dagster, so that
the floor's process imports nothing else of the project.
It uses Dagster internals (``core_execute_in_process``, ``InMemoryJob``): Dagster is pinned in
requirements.lock, and tests/test_pipeline.py runs it on every change.
It also holds how such a process begins and ends (``freeze_imports``, ``end_process``), so that
``make release`` and the benchmark's floor live the same way.
Does not belong here: deciding what to run (``pipelines.run``).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from collections.abc import Mapping
from typing import NoReturn

import dagster as dg

# Run config that keeps Dagster's console to warnings and errors (make release and the benchmark's floor).
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def execute(job: dg.JobDefinition, instance: dg.DagsterInstance, run_config: Mapping | None = None,
            partition_key: str | None = None) -> dg.ExecuteInProcessResult:
    """``job.execute_in_process(run_config, instance, partition_key, raise_on_error=False)``, minus
    the in-memory copy of every output."""
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.execute_in_process import (
        core_execute_in_process,
        merge_run_tags,
        type_check_and_normalize_args,
    )

    run_config, _, asset_selection, resource_defs, partition_key, input_values = type_check_and_normalize_args(
        run_config=run_config, partition_key=partition_key)
    ephemeral = job.as_ephemeral_job(resource_defs=resource_defs, input_values=input_values)
    if partition_key and ephemeral.partitions_def:
        with dg.partition_loading_context(dynamic_partitions_store=instance) as context:
            ephemeral.validate_partition_key(partition_key=partition_key, selected_asset_keys=set(),
                                             context=context)
    return core_execute_in_process(
        job=InMemoryJob(job_def=ephemeral), run_config=run_config, instance=instance,
        output_capturing_enabled=False, raise_on_error=False,
        run_tags=merge_run_tags(job_def=job, partition_key=partition_key, tags=None,
                                asset_selection=asset_selection, instance=instance, run_config=run_config),
        run_id=None, asset_selection=frozenset(asset_selection))


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
