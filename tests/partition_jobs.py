"""A small partitioned job for the tests of ``pipelines.orchestration.execution.execute_partitions``: importable by
name, so that the processes it spawns can make the job again."""

import dagster as dg

KEYS = [f"k{i}" for i in range(6)]
FAILING_KEY = "k2"


def counting_job() -> dg.JobDefinition:
    """One asset per partition key; the partition FAILING_KEY raises."""

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(KEYS))
    def counted(context: dg.AssetExecutionContext) -> int:
        if context.partition_key == FAILING_KEY:
            raise ValueError(f"no number in {context.partition_key}")
        return int(context.partition_key[1:])

    return dg.Definitions(
        assets=[counted],
        jobs=[
            dg.define_asset_job(
                "count", selection=[counted], partitions_def=counted.partitions_def, executor_def=dg.in_process_executor
            )
        ],
    ).resolve_job_def("count")


def job_that_cannot_be_made() -> dg.JobDefinition:
    """A factory that fails in the worker process, before any run."""
    raise ImportError("the job's code is missing")


def dying_job() -> dg.JobDefinition:
    """One asset per partition key; the process running the partition FAILING_KEY dies (as when the
    system kills it for lack of memory)."""
    import os

    @dg.asset(partitions_def=dg.StaticPartitionsDefinition(KEYS))
    def counted(context: dg.AssetExecutionContext) -> int:
        if context.partition_key == FAILING_KEY:
            os._exit(9)
        return int(context.partition_key[1:])

    return dg.Definitions(
        assets=[counted],
        jobs=[
            dg.define_asset_job(
                "count", selection=[counted], partitions_def=counted.partitions_def, executor_def=dg.in_process_executor
            )
        ],
    ).resolve_job_def("count")
